// Exits 0 when the Kafka broker at KAFKA_CHECK_BROKER answers a real client (kafkajs: ApiVersions,
// Metadata, DescribeCluster) and lists itself as a live broker; 1 when it does not; 3 when
// kafkajs cannot be found (broker.sh then falls back to another client).
const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');

let kafkajs;
try {
  const repoRoot = path.join(__dirname, '..', '..');
  kafkajs = require(require.resolve('kafkajs', { paths: [repoRoot, process.cwd()] }));
} catch {
  process.exit(3);
}
const { Kafka, logLevel } = kafkajs;
const broker = process.env.KAFKA_CHECK_BROKER || '127.0.0.1:19092';

const admin = new Kafka({
  clientId: 'broker-check',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 1000,
  requestTimeout: 3000,
}).admin();

const timer = setTimeout(() => process.exit(1), 5000);
admin
  .connect()
  .then(() => admin.describeCluster())
  .then((cluster) => {
    if (cluster.brokers.length === 0) throw new Error('no live broker yet');
    return admin.disconnect();
  })
  .then(
    () => process.exit(0),
    () => process.exit(1),
  )
  .finally(() => clearTimeout(timer));
