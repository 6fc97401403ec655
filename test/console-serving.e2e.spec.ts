import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingHttpHeaders, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { RunningApi, bilingualOrder, startApi } from './support/api-harness';

/**
 * How the API sends the console's files (apps/api/src/console): a small build of our own, with
 * the brotli and gzip copies the console's build writes beside each script and stylesheet.
 */
describe('the console build over HTTP', () => {
  let api: RunningApi;
  let build: string;
  const script = `export const greeting = '${'你好，开发区 '.repeat(200)}';\n`;

  /** The bytes as sent, whatever their encoding (supertest and fetch would decode them). */
  const raw = (path: string, acceptEncoding = 'identity') =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      get(`${api.url}${path}`, { headers: { 'Accept-Encoding': acceptEncoding } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      }).on('error', reject);
    });

  beforeAll(async () => {
    build = mkdtempSync(join(tmpdir(), 'plt-console-build-'));
    mkdirSync(join(build, 'assets'));
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(build, 'assets', 'App-abc123.js'), script);
    writeFileSync(join(build, 'assets', 'App-abc123.js.br'), brotliCompressSync(script));
    writeFileSync(join(build, 'assets', 'App-abc123.js.gz'), gzipSync(script));
    writeFileSync(join(build, 'assets', 'plain-def456.css'), 'body { margin: 0 }');
    process.env.CONSOLE_DIR = build;
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
    delete process.env.CONSOLE_DIR;
    rmSync(build, { recursive: true, force: true });
  });

  it('sends the brotli copy to a browser that accepts it, and says so', async () => {
    // when
    const response = await raw('/assets/App-abc123.js', 'gzip, deflate, br, zstd');
    // then
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['vary']).toMatch(/Accept-Encoding/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(response.body).toString()).toBe(script);
    expect(response.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
  });

  it('sends the gzip copy where brotli is not accepted, and the file itself where nothing is', async () => {
    // when
    const gzipped = await raw('/assets/App-abc123.js', 'gzip');
    const plain = await raw('/assets/App-abc123.js');
    // then
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toBe(script);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('sends a file the build did not compress as it is', async () => {
    // when
    const response = await raw('/assets/plain-def456.css', 'br, gzip');
    // then
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString()).toBe('body { margin: 0 }');
  });

  it("answers a missing asset with a bilingual 404 that names no path on the server, not the console's page", async () => {
    // when
    const response = await api.http.get('/assets/App-gone99.js').set('Accept-Language', 'en');
    // then
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('console-asset-not-found');
    expect(bilingualOrder(response.body.detail)).toEqual(['en', 'zh']);
    expect(response.body.detail).not.toContain(build);
    expect(response.body.detail).not.toMatch(/ENOENT/);
  });

  it("still routes the console's own paths to its page, without caching it", async () => {
    // when
    const response = await api.http.get('/dashboard?scope=zone');
    // then
    expect(response.status).toBe(200);
    expect(response.text).toContain('<title>console</title>');
    expect(response.headers['cache-control']).toBe('no-cache');
  });
});
