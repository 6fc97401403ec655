import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CurrentCaller, Public } from '../auth/auth.decorators';
import { Caller } from '@app/application';
import { CALLER, SIGNED_IN } from '../http/openapi-responses';
import { ProblemException } from '../http/problem';
import { Clock } from '@app/application';
import { SignInDto } from './accounts.dto';
import { SessionService, requireSameOrigin } from './session.service';

/** Console sign-in (API.md: `POST/DELETE /api/v1/session`). Machines keep using bearer tokens. */
@ApiTags('session')
@Controller('session')
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in: sets an httpOnly, SameSite=Strict session cookie (30 minutes, renewed while used)',
  })
  @ApiOkResponse({ description: 'the signed-in account', schema: SIGNED_IN })
  @ApiTooManyRequestsResponse({ description: 'locked after repeated failures; see Retry-After' })
  async signIn(
    @Body() body: SignInDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (request.headers.origin !== undefined) requireSameOrigin(request);
    const result = await this.sessions.accounts.signIn(body.username, body.password, this.clock.now());
    if (!result.ok && result.reason === 'locked') {
      response.setHeader('Retry-After', String(result.retryAfterSeconds));
      throw new ProblemException(
        429,
        {
          zh: `登录失败次数过多，请 ${result.retryAfterSeconds} 秒后再试`,
          en: `too many failed sign-ins; try again in ${result.retryAfterSeconds} s`,
        },
        'sign-in-locked',
      );
    }
    if (!result.ok)
      throw new ProblemException(
        401,
        { zh: '用户名或密码错误', en: 'wrong username or password' },
        'bad-credentials',
      );
    await this.sessions.open(result.account, request, response);
    return {
      username: result.account.username,
      displayName: result.account.displayName,
      role: result.account.role,
      zones: result.account.zones,
      cities: result.account.cities,
    };
  }

  @Get()
  @ApiOperation({ summary: 'Who is calling (session cookie or bearer token)' })
  @ApiOkResponse({ schema: CALLER })
  me(@CurrentCaller() caller: Caller) {
    const account = this.sessions.accounts.byId(caller.sub);
    return {
      id: caller.sub,
      username: account?.username ?? caller.sub,
      displayName: caller.name ?? account?.displayName ?? caller.sub,
      role: caller.role,
      zones: caller.zones,
      cities: caller.cities,
    };
  }

  @Delete()
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session and clears the cookie' })
  @ApiNoContentResponse({ description: 'signed out (no body)' })
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    if (this.sessions.hasSessionCookie(request)) requireSameOrigin(request);
    await this.sessions.close(request, response);
  }
}
