import {
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Header,
  Injectable,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Response } from 'express';
import { Observable } from 'rxjs';
import { Caller } from '@app/application';
import { Bilingual } from '@app/domain';
import {
  ImportContentionError,
  ImportFileError,
  ImportForbiddenError,
  ImportNotSupportedError,
  ImportRejectedError,
  MAX_IMPORT_BYTES,
  templateBuffer,
} from '@app/import';
import { CurrentCaller, Writers } from '../auth/auth.decorators';
import { SPREADSHEET } from '../http/openapi-responses';
import { ProblemException, badRequest } from '../http/problem';
import { ImportQueryDto, ImportRejectedDto, ImportSummaryDto, ImportUploadDto } from './import.dto';
import { markRecorded } from '../http/read-your-writes.interceptor';
import { RunImportCommand } from './run-import.command';

/** The part of multer's file that the import reads (kept in memory: at most 10 MB). */
interface UploadedSpreadsheet {
  originalname: string;
  buffer: Buffer;
}

const TOO_LARGE = { zh: '文件超过 10 MB', en: 'the file is larger than 10 MB' };

/** Multer's own limit (no more than 10 MB is buffered) answered as the API's 413 problem. */
@Injectable()
class ImportFileInterceptor extends FileInterceptor('file', {
  limits: { fileSize: MAX_IMPORT_BYTES, files: 1 },
  // Browsers send a file's name as UTF-8; Chinese names must not come out as Latin-1.
  defParamCharset: 'utf8',
}) {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (error) {
      if ((error as { status?: number }).status === 413)
        throw new ProblemException(413, TOO_LARGE, 'import-too-large');
      throw error;
    }
  }
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Writers()
  @UseInterceptors(ImportFileInterceptor)
  @ApiOperation({
    summary: "Import a round's 台账 (.xlsx or .csv): all rows or none",
    description:
      'Every row is checked first, by the same lifecycle rules as the other writes, as if the rows before it had been ' +
      'applied; if any row fails nothing is written and every problem is listed with its row and column. Rows already ' +
      'recorded identically add nothing, so importing a file again is harmless; a row that differs from what is ' +
      'recorded is an error (corrections go through the correction endpoint). Officers import only rows of their ' +
      'zones. Columns: see GET /imports/template.xlsx.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiCreatedResponse({ type: ImportSummaryDto, description: 'the rows were recorded' })
  @ApiOkResponse({ type: ImportSummaryDto, description: 'dry run, or every row was already recorded' })
  @ApiBadRequestResponse({ type: ImportRejectedDto, description: '`import-rejected`: nothing was written' })
  @ApiForbiddenResponse({
    description: 'rows of zones the caller may not act for (named in `errors`), or an auditor',
  })
  @ApiPayloadTooLargeResponse({ description: 'the file is larger than 10 MB' })
  async import(
    @UploadedFile() file: UploadedSpreadsheet | undefined,
    @Query() query: ImportQueryDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportSummaryDto> {
    if (!file) {
      throw badRequest(
        {
          zh: '请在 file 字段上传 .xlsx 或 .csv 文件',
          en: 'upload an .xlsx or .csv file in the field "file"',
        },
        [{ field: 'file', text: { zh: '必须上传文件', en: 'a file is required' } }],
      );
    }
    try {
      const summary = await this.commands.execute(
        new RunImportCommand({ name: file.originalname, bytes: file.buffer }, caller, query.dryRun ?? false),
      );
      response.status(summary.dryRun || summary.events === 0 ? 200 : 201);
      markRecorded(response, summary.position);
      const { position: _position, ...body } = summary;
      return body;
    } catch (error) {
      throw importProblem(error);
    }
  }

  @Get('template.xlsx')
  @ApiOperation({
    summary: 'The import template: row 1 Chinese headers, row 2 English keys, data from row 3',
  })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({
    description: 'the template workbook',
    content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: SPREADSHEET } },
  })
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header(
    'Content-Disposition',
    `attachment; filename="import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('台账导入模板.xlsx')}`,
  )
  async template(): Promise<StreamableFile> {
    return new StreamableFile(await templateBuffer());
  }
}

function importProblem(error: unknown): unknown {
  if (error instanceof ImportRejectedError)
    return new ProblemException(400, bilingual(error.message), error.code, error.issues);
  if (error instanceof ImportForbiddenError)
    return new ProblemException(403, bilingual(error.message), error.code, error.issues);
  if (error instanceof ImportFileError) {
    return new ProblemException(
      error.code === 'import-too-large' ? 413 : 400,
      bilingual(error.message),
      error.code,
    );
  }
  if (error instanceof ImportContentionError)
    return new ProblemException(409, bilingual(error.message), error.code);
  if (error instanceof ImportNotSupportedError)
    return new ProblemException(501, bilingual(error.message), error.code);
  return error;
}

/** The import's messages are written "中文 / English"; the filter orders the two by Accept-Language. */
function bilingual(message: string): Bilingual {
  const split = message.indexOf(' / ');
  return split < 0
    ? { zh: message, en: message }
    : { zh: message.slice(0, split), en: message.slice(split + 3) };
}
