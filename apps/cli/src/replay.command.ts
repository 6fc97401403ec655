import { Command } from 'commander';
import { LifecycleReadModel, ProjectionRunner } from '@app/projections';
import { withExistingStore } from './cli-store';

/** Folds the whole log into fresh read models, as a rebuild does, and reports how long it took. */
export function replayCommand(): Command {
  return new Command('replay')
    .description('replay $all from the start into fresh projections and report when caught up')
    .action(() =>
      withExistingStore(async (store) => {
        const started = performance.now();
        const model = new LifecycleReadModel();
        const runner = new ProjectionRunner(store, model);
        await runner.start();
        await runner.stop();
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `caught up at position ${model.position}: ${model.eventCount} events, ${model.projects.size} projects, ` +
            `${model.zones.size} zones in ${seconds.toFixed(2)} s (${Math.round(model.eventCount / seconds)} events/s)\n`,
        );
      }),
    );
}
