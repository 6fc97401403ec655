import { ADMIN, RunningApi, seedReference, startApi } from './support/api-harness';

describe('explore', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
    await seedReference(api);
  });
  afterAll(() => api.close());
  it('explores', async () => {
    const admin = api.bearer(ADMIN);
    const show = (label: string, r: { status: number; body: unknown; headers: Record<string, string> }) =>
      console.log(label, r.status, r.headers['content-type'], JSON.stringify(r.body).slice(0, 400));
    show('sign', await api.http.post('/api/v1/projects').set('Authorization', admin).send({
      projectId: 'p-1', name: 'n', enterprise: 'e', zoneId: 'jinzhong-kfq', totalInvestmentWan: 100, industrial: true, signedOn: '2023-02-22' }));
    show('amend', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).send({ reason: 'r', totalInvestmentWan: 200 }));
    show('get', await api.http.get('/api/v1/projects/p-1').set('Authorization', admin));
    show('hist', await api.http.get('/api/v1/projects/p-1/history').set('Authorization', admin));
    const deep = '{"reason":"x","a":' + '['.repeat(20000) + ']'.repeat(20000) + '}';
    show('deep', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'application/json').send(deep));
    const deep2 = '{"reason":"x","a":' + '{"a":'.repeat(8000) + '1' + '}'.repeat(8000) + '}';
    show('deep2', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'application/json').send(deep2));
    show('proto', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'application/json').send('{"reason":"x","__proto__":{"name":"evil"}}'));
    show('ctor', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'application/json').send('{"reason":"x","constructor":{"prototype":{"a":1}}}'));
    show('badjson', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'application/json').send('{"reason":'));
    show('text', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'text/plain').send('hello'));
    show('pct', await api.http.post('/api/v1/projects/%ZZ/amendments').set('Authorization', admin).send({reason:'x'}));
    show('unicode id', await api.http.post('/api/v1/projects/' + encodeURIComponent('项目') + '/amendments').set('Authorization', admin).send({reason:'x'}));
    show('milestone path', await api.http.post('/api/v1/projects/p-1/milestones/foo/correction').set('Authorization', admin).send({reason:'x', occurredOn: '2023-01-01'}));
    show('ifmatch', await api.http.post('/api/v1/projects/nope/amendments').set('Authorization', admin).set('If-Match', '"7"').send({reason:'x'}));
    show('charset', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'application/json; charset=koi8-r').send('{}'));
    show('gzip', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{}'));
    show('big', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).send({reason: 'x'.repeat(200000)}));
    show('hdr', await api.http.post('/api/v1/projects/p-1/amendments').set('Authorization', admin).set('Idempotency-Key', 'é').send({reason:'x'}));
  });
});
