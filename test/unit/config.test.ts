import { ConfigError, loadConfig } from '../../src/config/env';

describe('loadConfig', () => {
  it('fills documented defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.MLGATE_TEMPORAL_ADDRESS).toBe('');
    expect(c.MLGATE_GATEWAY_PORT).toBe(8080);
    expect(c.MLGATE_ADMIN_HOST).toBe('127.0.0.1');
    expect(c.MLGATE_FAULT_INJECTION).toBe(false);
  });

  it('names the variable and the allowed values when a port is not a number', () => {
    expect(() => loadConfig({ MLGATE_GATEWAY_PORT: 'eighty' })).toThrow(/MLGATE_GATEWAY_PORT="eighty".*TCP port|MLGATE_GATEWAY_PORT="eighty"/);
  });

  it("bounds the worker's heap growth at 50% unless told otherwise, takes 0 for V8's own, and refuses a negative percent naming the variable", () => {
    expect(loadConfig({}).MLGATE_WORKER_HEAP_GROWING_PERCENT).toBe(50);
    expect(loadConfig({ MLGATE_WORKER_HEAP_GROWING_PERCENT: '0' }).MLGATE_WORKER_HEAP_GROWING_PERCENT).toBe(0);
    expect(() => loadConfig({ MLGATE_WORKER_HEAP_GROWING_PERCENT: '-5' })).toThrow(/MLGATE_WORKER_HEAP_GROWING_PERCENT="-5".*whole number from 0 to 400/);
  });

  it('runs workflow code on one thread unless told otherwise, and refuses 0 or more than 16 threads naming the variable', () => {
    expect(loadConfig({}).MLGATE_WORKER_WORKFLOW_THREADS).toBe(1);
    expect(loadConfig({ MLGATE_WORKER_WORKFLOW_THREADS: '2' }).MLGATE_WORKER_WORKFLOW_THREADS).toBe(2);
    expect(() => loadConfig({ MLGATE_WORKER_WORKFLOW_THREADS: '0' })).toThrow(/MLGATE_WORKER_WORKFLOW_THREADS="0".*whole number from 1/);
    expect(() => loadConfig({ MLGATE_WORKER_WORKFLOW_THREADS: '17' })).toThrow(/MLGATE_WORKER_WORKFLOW_THREADS="17".*whole number from 1 to 16/);
  });

  it('refuses a short approval secret and says how to make a good one', () => {
    expect(() => loadConfig({ MLGATE_APPROVAL_SECRET: 'short' })).toThrow(/MLGATE_APPROVAL_SECRET=.*openssl rand -hex 32/);
  });

  it('refuses an unknown MLGATE_ variable so a typo does not silently fall back to a default', () => {
    expect(() => loadConfig({ MLGATE_GATEWAY_PRT: '1' })).toThrow(/unknown variable MLGATE_GATEWAY_PRT/);
  });

  it('reports every bad variable at once, one line each', () => {
    try {
      loadConfig({ MLGATE_SMTP_PORT: '99999', MLGATE_LOG_LEVEL: 'loud' });
      throw new Error('expected loadConfig to throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toHaveLength(2);
    }
  });

  it('metrics from Prometheus need its URL, and say which variable to set', () => {
    expect(() => loadConfig({ MLGATE_METRICS_SOURCE: 'prometheus' })).toThrow(/^Invalid configuration: MLGATE_PROMETHEUS_URL="" must be set when MLGATE_METRICS_SOURCE=prometheus/);
    expect(() => loadConfig({ MLGATE_METRICS_SOURCE: 'statsd' })).toThrow(/MLGATE_METRICS_SOURCE="statsd" must be gateway or prometheus/);
    expect(loadConfig({ MLGATE_METRICS_SOURCE: 'prometheus', MLGATE_PROMETHEUS_URL: 'http://prometheus:9090' })).toMatchObject({ MLGATE_METRICS_SOURCE: 'prometheus', MLGATE_PROMETHEUS_URL: 'http://prometheus:9090' });
    expect(loadConfig({}).MLGATE_METRICS_SOURCE).toBe('gateway');
  });

  it('takes a postgres:// database URL and refuses anything else, naming the variable', () => {
    expect(loadConfig({ MLGATE_DATABASE_URL: 'postgres://mlgate:pw@db:5432/mlgate' }).MLGATE_DATABASE_URL).toBe('postgres://mlgate:pw@db:5432/mlgate');
    expect(() => loadConfig({ MLGATE_DATABASE_URL: 'mysql://db/mlgate' })).toThrow(/MLGATE_DATABASE_URL="mysql:\/\/db\/mlgate" must be a postgres:\/\/ URL/);
  });

  it("reads Temporal's own client variables, with MLGATE_TEMPORAL_* winning where both are set", () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'prod' })).toMatchObject({ MLGATE_TEMPORAL_ADDRESS: 'temporal.example:7233', MLGATE_TEMPORAL_NAMESPACE: 'prod', temporalConnection: {} });
    expect(loadConfig({ TEMPORAL_ADDRESS: 'a:1', MLGATE_TEMPORAL_ADDRESS: 'b:2', TEMPORAL_NAMESPACE: 'prod', MLGATE_TEMPORAL_NAMESPACE: 'dev' })).toMatchObject({ MLGATE_TEMPORAL_ADDRESS: 'b:2', MLGATE_TEMPORAL_NAMESPACE: 'dev' });
    // An API key means Temporal Cloud: TLS on, the key kept in this process for the connection only.
    expect(loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'secret-key' }).temporalConnection).toEqual({ apiKey: 'secret-key', tls: true });
    // Nothing set: the embedded server, plain gRPC, and no profile file read.
    expect(loadConfig({ HOME: '/nonexistent' })).toMatchObject({ MLGATE_TEMPORAL_ADDRESS: '', MLGATE_TEMPORAL_NAMESPACE: 'default', temporalConnection: {} });
    expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem' })).toThrow(/^Invalid configuration: the Temporal client settings \(TEMPORAL_TLS_CLIENT_CERT_PATH\) cannot be loaded: .*client\.pem/);
  });
});
