import { RunningApi, startApi } from './support/api-harness';

describe('the Kafka contract, served next to the OpenAPI document', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.close());

  it('serves the AsyncAPI 3 document without a token', async () => {
    const response = await api.http.get('/api/docs/asyncapi.json').expect(200);
    expect(response.body).toMatchObject({
      asyncapi: '3.0.0',
      channels: { events: { address: 'project-lifecycle.events.v1' } },
    });
  });

  it('serves each ce_type’s JSON Schema under the $id its messages name in ce_dataschema', async () => {
    const response = await api.http
      .get('/api/docs/events/project-lifecycle.ProjectSigned.v1.json')
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/schema\+json/);
    expect(JSON.parse(response.text)).toMatchObject({
      $id: 'urn:project-lifecycle-tracker:schema:project-lifecycle.ProjectSigned.v1',
      required: ['data', 'metadata', 'context'],
    });
  });

  it('answers an unknown event type with a 404 problem', async () => {
    const response = await api.http.get('/api/docs/events/project-lifecycle.NoSuchThing.v1.json').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({ status: 404, code: 'unknown-event-type' });
  });
});
