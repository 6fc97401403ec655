import { Module } from '@nestjs/common';
import { HeavyReadsService } from './heavy-reads.service';

/** One worker thread for the whole API: every module that imports this one shares it. */
@Module({ providers: [HeavyReadsService], exports: [HeavyReadsService] })
export class HeavyReadsModule {}
