/**
 * What the jest global setup starts, decided from the environment and from probes of the
 * machine (test/support/global-setup.ts runs the plan). Pure but for the probes, which the
 * unit spec replaces: no Docker engine runs where the suite is developed.
 */

/** Set for the workers when the real-server EventStoreDB suite skips: it prints the reason. */
export const EVENTSTORE_SKIP_REASON = 'TEST_EVENTSTORE_SKIP_REASON';

export interface MachineProbes {
  /** Whether a Docker engine answers (`docker info` succeeds), not just that a client exists. */
  dockerAnswers(): Promise<boolean>;
  /** Whether Java and Maven run, for infra/kafka/broker.sh. */
  javaAndMaven(): Promise<boolean>;
}

export interface ServicesEnv {
  KAFKA_AUTOSTART?: string;
  KAFKA_BROKERS?: string;
  EVENTSTORE_CONNECTION_STRING?: string;
}

/** Which suites the run includes (a single `npx jest file` needs neither server). */
export interface SuitesInRun {
  kafka: boolean;
  eventStoreDb: boolean;
}

export type KafkaPlan =
  { start: 'container' | 'broker.sh'; say: string } | { start: 'nothing'; say: string; suitesSkip: boolean };

export type EventStoreDbPlan =
  { start: 'container'; say: string } | { start: 'nothing'; say: string; suitesSkip: boolean };

export interface ServicesPlan {
  kafka: KafkaPlan;
  eventStoreDb: EventStoreDbPlan;
}

export async function planTestServices(
  env: ServicesEnv,
  suites: SuitesInRun,
  probes: MachineProbes,
  images: { kafka: string; eventStoreDb: string },
): Promise<ServicesPlan> {
  if (env.KAFKA_AUTOSTART === 'false') {
    const say = 'KAFKA_AUTOSTART=false: starting no test services';
    return {
      kafka: { start: 'nothing', say: `Kafka: ${say}`, suitesSkip: !env.KAFKA_BROKERS },
      eventStoreDb: {
        start: 'nothing',
        say: `EventStoreDB: ${say}`,
        suitesSkip: !env.EVENTSTORE_CONNECTION_STRING,
      },
    };
  }
  // Asked once, and only when a decision needs it.
  let docker: Promise<boolean> | undefined;
  const dockerAnswers = () => (docker ??= probes.dockerAnswers());
  return {
    kafka: await planKafka(env, suites, dockerAnswers, probes, images.kafka),
    eventStoreDb: await planEventStoreDb(env, suites, dockerAnswers, images.eventStoreDb),
  };
}

async function planKafka(
  env: ServicesEnv,
  suites: SuitesInRun,
  dockerAnswers: () => Promise<boolean>,
  probes: MachineProbes,
  image: string,
): Promise<KafkaPlan> {
  if (env.KAFKA_BROKERS) {
    return {
      start: 'nothing',
      say: `Kafka: KAFKA_BROKERS is set (${env.KAFKA_BROKERS}): using it`,
      suitesSkip: false,
    };
  }
  if (!suites.kafka)
    return {
      start: 'nothing',
      say: 'Kafka: no Kafka suite in this run: starting no broker',
      suitesSkip: false,
    };
  if (await dockerAnswers()) {
    return {
      start: 'container',
      say: `Kafka: a Docker engine answers: starting ${image} with testcontainers`,
    };
  }
  if (await probes.javaAndMaven()) {
    return {
      start: 'broker.sh',
      say: 'Kafka: no Docker engine answers (docker info); Java and Maven are here: starting infra/kafka/broker.sh',
    };
  }
  return {
    start: 'nothing',
    say: 'Kafka: KAFKA_BROKERS is unset, no Docker engine answers and Java or Maven is missing: the Kafka suites skip',
    suitesSkip: true,
  };
}

async function planEventStoreDb(
  env: ServicesEnv,
  suites: SuitesInRun,
  dockerAnswers: () => Promise<boolean>,
  image: string,
): Promise<EventStoreDbPlan> {
  if (env.EVENTSTORE_CONNECTION_STRING) {
    return {
      start: 'nothing',
      say: 'EventStoreDB: EVENTSTORE_CONNECTION_STRING is set: using it',
      suitesSkip: false,
    };
  }
  if (!suites.eventStoreDb) {
    return {
      start: 'nothing',
      say: 'EventStoreDB: no real-server suite in this run: starting no server',
      suitesSkip: false,
    };
  }
  if (await dockerAnswers()) {
    return {
      start: 'container',
      say: `EventStoreDB: a Docker engine answers: starting ${image} with testcontainers`,
    };
  }
  return {
    start: 'nothing',
    say:
      'EventStoreDB: EVENTSTORE_CONNECTION_STRING is unset and no Docker engine answers (docker info): ' +
      'the real-server conformance suite skips (the fake-server suites run)',
    suitesSkip: true,
  };
}
