import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { chunkComponent } from './chunk-component';

function Page({ title }: { title: string }) {
  return createElement('h1', null, title);
}

/** A chunk whose arrival the test decides. */
function controlledChunk() {
  let arrive!: () => void;
  let fail!: (error: Error) => void;
  const load = jest.fn(
    () =>
      new Promise<{ default: typeof Page }>((resolve, reject) => {
        arrive = () => resolve({ default: Page });
        fail = reject;
      }),
  );
  return { load, arrive: () => arrive(), fail: (error: Error) => fail(error) };
}

const draw = (element: Parameters<typeof renderToString>[0]) => renderToString(element);

describe('chunkComponent', () => {
  it('draws the fallback until the chunk has arrived, then the page in that same render (no suspending)', async () => {
    const chunk = controlledChunk();
    const Chunk = chunkComponent(chunk.load);
    const element = createElement(Chunk, { title: '五率看板', fallback: 'loading', failed: 'failed' });

    expect(draw(element)).toBe('loading');
    const preloaded = Chunk.preload();
    chunk.arrive();
    await preloaded;

    expect(draw(element)).toBe('<h1>五率看板</h1>');
  });

  it('asks for the chunk once however often it is preloaded', async () => {
    const chunk = controlledChunk();
    const Chunk = chunkComponent(chunk.load);

    const first = Chunk.preload();
    const second = Chunk.preload();
    chunk.arrive();
    await Promise.all([first, second]);

    expect(chunk.load).toHaveBeenCalledTimes(1);
  });

  it('asks again after a failed load, and draws the page once it arrives', async () => {
    const chunk = controlledChunk();
    const Chunk = chunkComponent(chunk.load);
    const element = createElement(Chunk, { title: 'x', fallback: 'loading', failed: 'failed' });

    const failed = Chunk.preload();
    chunk.fail(new Error('Failed to fetch dynamically imported module'));
    await expect(failed).rejects.toThrow('Failed to fetch');
    expect(draw(element)).toBe('loading');

    const retried = Chunk.preload();
    chunk.arrive();
    await retried;
    expect(chunk.load).toHaveBeenCalledTimes(2);
    expect(draw(element)).toBe('<h1>x</h1>');
  });
});
