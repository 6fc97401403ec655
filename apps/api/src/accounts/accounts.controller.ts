import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../auth/auth.decorators';
import { Caller } from '@app/application';
import { ACCOUNT, ACCOUNTS, ACCOUNT_AUDIT } from '../http/openapi-responses';
import { ProblemException, badRequest, notFoundProblem } from '../http/problem';
import { Clock } from '@app/application';
import { AccountError } from './accounts-store';
import { AccountDisabledDto, NewAccountDto } from './accounts.dto';
import { SessionService } from './session.service';

/** Console accounts (admin). Every change is written to the accounts audit table. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
@Roles('admin')
export class AccountsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Console accounts (admin)' })
  @ApiOkResponse({ schema: ACCOUNTS })
  list() {
    return this.sessions.accounts.list();
  }

  @Get('audit')
  @ApiOperation({ summary: 'Account changes and sign-in locks, newest first (admin)' })
  @ApiOkResponse({ schema: ACCOUNT_AUDIT })
  audit() {
    return this.sessions.accounts.auditLog();
  }

  @Post()
  @ApiOperation({ summary: 'Add an account (admin)' })
  @ApiCreatedResponse({ schema: ACCOUNT })
  async add(@Body() body: NewAccountDto, @CurrentCaller() caller: Caller) {
    try {
      return await this.sessions.accounts.add(body, caller.name ?? caller.sub, this.clock.now());
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      const text =
        error.code === 'username-taken'
          ? { zh: '用户名已被使用', en: error.message }
          : { zh: '账户信息无效', en: error.message };
      const errors = error.field ? [{ field: error.field, text }] : undefined;
      if (error.code === 'username-taken') throw new ProblemException(409, text, error.code, errors);
      throw badRequest(text, errors);
    }
  }

  @Post(':username/disabled')
  @ApiOperation({ summary: 'Disable (ends its sessions) or enable an account (admin)' })
  @ApiCreatedResponse({ schema: ACCOUNT })
  setDisabled(
    @Param('username') username: string,
    @Body() body: AccountDisabledDto,
    @CurrentCaller() caller: Caller,
  ) {
    const account = this.sessions.accounts.setDisabled(
      username,
      body.disabled,
      caller.name ?? caller.sub,
      this.clock.now(),
    );
    if (!account)
      throw notFoundProblem(
        { zh: `没有账户 ${username}`, en: `no account ${username}` },
        'account-not-found',
      );
    return account;
  }
}
