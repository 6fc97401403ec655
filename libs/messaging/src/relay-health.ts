/** What the relay process reports every few seconds (DATA_DIR/relay-status.json, its /health). */
export interface RelayReport {
  at: string;
  leader: boolean;
  state: 'standby' | 'starting' | 'publishing' | 'failing' | 'refused';
  position: number | null;
  headPosition: number | null;
  lag: number | null;
  published: number;
  /** Events sent to the dead-letter topic since the process started. */
  deadLettered: number;
  /** Failed runs in a row; 0 once a run has caught up. */
  consecutiveFailures: number;
  /** When the current run of failures began (ISO), null when not failing. */
  failingSince: string | null;
  /** Since when the lag has been above RELAY_MAX_LAG (ISO), null when it is not. */
  laggingSince: string | null;
  lastError: string | null;
  health: RelayHealth;
}

export interface RelayHealth {
  /** `ok` is green; every other status is red. */
  status: 'ok' | 'stuck' | 'lagging' | 'refused' | 'silent';
  reasons: string[];
}

export interface RelayHealthRules {
  maxLagPositions: number;
  stuckAfterMs: number;
}

/** A relay is red when refused, failing or lagging for longer than `stuckAfterMs`. */
export function judgeRelay(
  report: Omit<RelayReport, 'health' | 'at'>,
  rules: RelayHealthRules,
  now: Date,
): RelayHealth {
  if (report.state === 'refused') {
    return { status: 'refused', reasons: [report.lastError ?? 'the relay refused to start'] };
  }
  const since = (iso: string | null) => (iso === null ? 0 : now.getTime() - Date.parse(iso));
  if (report.failingSince !== null && since(report.failingSince) >= rules.stuckAfterMs) {
    return {
      status: 'stuck',
      reasons: [
        `failing for ${Math.round(since(report.failingSince) / 1000)} s (${report.consecutiveFailures} runs): ${report.lastError}`,
      ],
    };
  }
  if (report.laggingSince !== null && since(report.laggingSince) >= rules.stuckAfterMs) {
    return {
      status: 'lagging',
      reasons: [
        `${report.lag} positions behind the store for ${Math.round(since(report.laggingSince) / 1000)} s ` +
          `(more than ${rules.maxLagPositions})`,
      ],
    };
  }
  return { status: 'ok', reasons: [] };
}

/** How old a status file may be before the API calls the relay silent (it writes every 5 s). */
export const RELAY_REPORT_STALE_MS = 20_000;

/** The API's view of a status file: a relay that stopped writing is red too. */
export function judgeRelayReport(report: RelayReport, now: Date): RelayHealth {
  const age = now.getTime() - Date.parse(report.at);
  if (report.state !== 'refused' && age > RELAY_REPORT_STALE_MS) {
    return { status: 'silent', reasons: [`no report for ${Math.round(age / 1000)} s`] };
  }
  return report.health ?? { status: 'ok', reasons: [] };
}
