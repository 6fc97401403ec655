// Exits 0 when a Kafka broker answers a metadata request (used by broker.sh to wait for start-up).
const path = require('node:path');
const { Kafka, logLevel } = require(path.join(__dirname, '..', '..', 'node_modules', 'kafkajs'));

const admin = new Kafka({
  clientId: 'broker-check',
  brokers: [process.env.KAFKA_CHECK_BROKER || '127.0.0.1:19092'],
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 1000,
}).admin();

admin
  .connect()
  .then(() => admin.describeCluster())
  .then(() => admin.disconnect())
  .then(
    () => process.exit(0),
    () => process.exit(1),
  );
