import { MachineProbes, ServicesEnv, SuitesInRun, planTestServices } from './test-services-plan';

const IMAGES = { kafka: 'confluentinc/cp-kafka:7.9.2', eventStoreDb: 'eventstore/eventstore:24.10' };
const EVERY_SUITE: SuitesInRun = { kafka: true, eventStoreDb: true };

/** Probes that answer as told and count how often they were asked. */
function machine(answers: { docker: boolean; javaAndMaven: boolean }) {
  const asked = { docker: 0, javaAndMaven: 0 };
  const probes: MachineProbes = {
    dockerAnswers: async () => {
      asked.docker += 1;
      return answers.docker;
    },
    javaAndMaven: async () => {
      asked.javaAndMaven += 1;
      return answers.javaAndMaven;
    },
  };
  return { probes, asked };
}

const plan = (env: ServicesEnv, probes: MachineProbes, suites = EVERY_SUITE) =>
  planTestServices(env, suites, probes, IMAGES);

describe('what the jest global setup starts', () => {
  it('starts Kafka and EventStoreDB with testcontainers where a Docker engine answers, and says so', async () => {
    const { probes, asked } = machine({ docker: true, javaAndMaven: true });

    const { kafka, eventStoreDb } = await plan({}, probes);

    expect(kafka).toEqual({ start: 'container', say: expect.stringContaining('a Docker engine answers') });
    expect(kafka.say).toContain(IMAGES.kafka);
    expect(eventStoreDb).toEqual({ start: 'container', say: expect.stringContaining(IMAGES.eventStoreDb) });
    // Docker asked once for both; Java not at all
    expect(asked).toEqual({ docker: 1, javaAndMaven: 0 });
  });

  it('falls back to infra/kafka/broker.sh without Docker, and skips the real EventStoreDB suite saying why', async () => {
    const { probes } = machine({ docker: false, javaAndMaven: true });

    const { kafka, eventStoreDb } = await plan({}, probes);

    expect(kafka).toEqual({ start: 'broker.sh', say: expect.stringContaining('infra/kafka/broker.sh') });
    expect(kafka.say).toContain('no Docker engine answers');
    expect(eventStoreDb).toEqual({
      start: 'nothing',
      suitesSkip: true,
      say: expect.stringContaining('no Docker engine answers'),
    });
  });

  it('starts nothing without Docker, Java or Maven, and says that the Kafka suites skip', async () => {
    const { probes } = machine({ docker: false, javaAndMaven: false });

    const { kafka } = await plan({}, probes);

    expect(kafka).toEqual({
      start: 'nothing',
      suitesSkip: true,
      say: expect.stringContaining('suites skip'),
    });
  });

  it('uses the servers it is given and probes nothing', async () => {
    const { probes, asked } = machine({ docker: true, javaAndMaven: true });

    const { kafka, eventStoreDb } = await plan(
      { KAFKA_BROKERS: '127.0.0.1:19092', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false' },
      probes,
    );

    expect(kafka).toMatchObject({
      start: 'nothing',
      suitesSkip: false,
      say: expect.stringContaining('127.0.0.1:19092'),
    });
    expect(eventStoreDb).toMatchObject({ start: 'nothing', suitesSkip: false });
    expect(asked).toEqual({ docker: 0, javaAndMaven: 0 });
  });

  it('starts nothing for a run without the suites that need a server', async () => {
    const { probes, asked } = machine({ docker: true, javaAndMaven: true });

    const { kafka, eventStoreDb } = await plan({}, probes, { kafka: false, eventStoreDb: false });

    expect([kafka.start, eventStoreDb.start]).toEqual(['nothing', 'nothing']);
    expect(asked.docker).toBe(0);
  });

  it('starts nothing with KAFKA_AUTOSTART=false, and the suites without a server skip', async () => {
    const { probes, asked } = machine({ docker: true, javaAndMaven: true });

    const { kafka, eventStoreDb } = await plan({ KAFKA_AUTOSTART: 'false' }, probes);

    expect(kafka).toMatchObject({
      start: 'nothing',
      suitesSkip: true,
      say: expect.stringContaining('KAFKA_AUTOSTART=false'),
    });
    expect(eventStoreDb).toMatchObject({ start: 'nothing', suitesSkip: true });
    expect(asked).toEqual({ docker: 0, javaAndMaven: 0 });
  });
});
