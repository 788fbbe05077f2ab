/**
 * The HTTP reference: every server serves an OpenAPI document generated from its zod schemas,
 * the documents are valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator's CLI, which
 * validates against the official 3.1 JSON Schema), the committed copies and docs/http.md are current,
 * and every server answers errors in the one shape of docs/http.md.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectOpenApiDocuments, docsDir, documentFile, documentText, renderHttpMarkdown, SERVERS, type OpenApiDocument, type ServerName } from '../../../scripts/http-docs';
import { ErrorBodySchema } from '../../../src/http/http-error';
import { startTestGateway, TOKEN, type TestGateway } from '../gateway/fixtures';
import { createMailCatcher } from '../../../src/smtp-catcher/catcher';

const VALIDATOR = path.join(__dirname, '../../../node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js');

function validate(file: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VALIDATOR, file], (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }));
  });
}

describe('OpenAPI documents', () => {
  let docs: Record<ServerName, OpenApiDocument>;
  let dir: string;
  beforeAll(async () => {
    docs = await collectOpenApiDocuments();
    dir = await mkdtemp(path.join(tmpdir(), 'mlgate-openapi-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each(SERVERS.map((s) => [s]))('the %s document is valid OpenAPI 3.1', async (name) => {
    const file = path.join(dir, `${name}.json`);
    await writeFile(file, documentText(docs[name]));
    expect(docs[name].openapi).toBe('3.1.0');
    expect(await validate(file)).toEqual({ code: 0, out: expect.stringContaining('"valid": true') });
  });

  it('the validator refuses a document that breaks the 3.1 schema (so the check above has teeth)', async () => {
    const file = path.join(dir, 'broken.json');
    const { info: _info, ...noInfo } = docs.gateway;
    await writeFile(file, JSON.stringify(noInfo));
    const r = await validate(file);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("must have required property 'info'");
  });

  it('documents every route with its request schema, and errors with the Error schema', () => {
    const ops = Object.fromEntries(SERVERS.map((s) => [s, Object.entries(docs[s].paths).flatMap(([p, m]) => Object.keys(m).map((verb) => `${verb.toUpperCase()} ${p}`))]));
    expect(ops.gateway).toEqual(expect.arrayContaining(['POST /v1/models/{model}/predict', 'POST /v1/models/{model}/feedback', 'GET /healthz', 'GET /metrics']));
    expect(ops['gateway-admin']).toEqual(expect.arrayContaining(['GET /admin/models/{model}/routing', 'PUT /admin/models/{model}/routing', 'POST /admin/faults', 'DELETE /admin/faults', 'GET /admin/models/{model}/predictions']));
    expect(ops.approvals).toEqual(expect.arrayContaining(['POST /api/releases/{id}/gates/{gate}/decisions', 'GET /approve/{token}', 'POST /approve/{token}']));
    const predict = docs.gateway.paths['/v1/models/{model}/predict'].post;
    const body = predict.requestBody?.content['application/json'].schema;
    expect(body).toMatchObject({ type: 'object', required: ['rows'], properties: { rows: { type: 'array', maxItems: 1000 } } });
    expect(JSON.stringify(predict.responses?.['4XX'])).toContain('#/components/schemas/Error');
    expect(docs['gateway-admin']).toMatchObject({ security: [{ bearer: [] }] });
  });

  it('the committed docs/openapi/*.json and docs/http.md are what the servers serve (regenerate: npx tsx scripts/http-docs.ts)', async () => {
    for (const name of SERVERS) expect({ name, text: await readFile(documentFile(name), 'utf8') }).toEqual({ name, text: documentText(docs[name]) });
    expect(await readFile(path.join(docsDir, 'http.md'), 'utf8')).toBe(renderHttpMarkdown(docs));
  });
});

describe('one error shape on every server', () => {
  let gw: TestGateway;
  const catcher = createMailCatcher();
  let mailboxUrl: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    mailboxUrl = (await catcher.start()).webUrl;
  });
  afterAll(async () => {
    await gw?.close();
    await catcher.stop();
  });

  const strictError = (json: unknown) => ErrorBodySchema.strict().parse(json);

  it('an unknown route is a NOT_FOUND error body on the gateway listeners and the mailbox API', async () => {
    const pub = await fetch(`${gw.url}/v2/nothing`);
    expect({ status: pub.status, body: strictError(await pub.json()) }).toEqual({ status: 404, body: { error: 'NOT_FOUND', message: 'no route GET /v2/nothing; the routes are listed at GET /openapi.json' } });
    const admin = await fetch(`${gw.adminUrl}/admin/nothing`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect({ status: admin.status, error: strictError(await admin.json()).error }).toEqual({ status: 404, error: 'NOT_FOUND' });
    const api = await fetch(`${mailboxUrl}/api/nothing`);
    expect({ status: api.status, error: strictError(await api.json()).error }).toEqual({ status: 404, error: 'NOT_FOUND' });
  });

  it("the admin listener's document needs the token like every admin route, and says so in the error shape", async () => {
    const res = await fetch(`${gw.adminUrl}/openapi.json`);
    expect({ status: res.status, challenge: res.headers.get('www-authenticate'), body: strictError(await res.json()) }).toEqual({
      status: 401, challenge: 'Bearer', body: { error: 'UNAUTHORIZED', message: 'send Authorization: Bearer <admin token>' },
    });
  });

  it('a page for people shows the same code and message as HTML with the same status', async () => {
    const res = await fetch(`${mailboxUrl}/messages/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<h1>NOT_FOUND</h1><p>No message nope; the list is at /.</p>');
  });
});
