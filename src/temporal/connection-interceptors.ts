/**
 * The gRPC interceptors of every Temporal client connection mlgate opens: the SDK's own retry
 * interceptor, then a guard for calls retried after the connection was closed.
 *
 * Why the guard: the SDK's retry interceptor (`makeGrpcRetryInterceptor`) retries a call that failed
 * with UNAVAILABLE (or another retryable status) from a timer. When the connection is closed while
 * such a retry waits, the timer still fires, and grpc-js throws "Channel has been shut down" from
 * inside it: an uncaught exception that takes down whatever runs in the process then (a server that
 * is shutting down, or the next test file in a Jest worker). The guard sits below the retry
 * interceptor: a call the closed channel refuses fails with CANCELLED instead, which the retry
 * interceptor does not retry and hands to the caller like any other failure.
 */
import { InterceptingCall, Metadata, status, type Interceptor, type InterceptingListener } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

const CLOSED = /Channel has been shut down/;

/** What an interceptor's `nextCall` returns (grpc-js does not export the interface by name). */
type InterceptingCallInterface = ReturnType<Parameters<Interceptor>[1]>;

/** A call that never reaches the network and ends at once with CANCELLED. */
function closedCall(): InterceptingCallInterface {
  return {
    start(_metadata: Metadata, listener?: Partial<InterceptingListener>) {
      setImmediate(() => listener?.onReceiveStatus?.({ code: status.CANCELLED, details: 'the Temporal connection was closed', metadata: new Metadata() }));
    },
    cancelWithStatus: () => undefined,
    getPeer: () => '',
    sendMessageWithContext: () => undefined,
    sendMessage: () => undefined,
    startRead: () => undefined,
    halfClose: () => undefined,
    getAuthContext: () => null,
  };
}

/** Below the retry interceptor: a closed channel's refusal becomes a CANCELLED call, not a throw. */
export const closedConnectionGuard: Interceptor = (options, nextCall) => {
  let call: InterceptingCallInterface;
  try {
    call = nextCall(options);
  } catch (e) {
    if (!(e instanceof Error) || !CLOSED.test(e.message)) throw e;
    call = closedCall();
  }
  return new InterceptingCall(call);
};

/** `Connection.connect({ ..., interceptors: temporalConnectionInterceptors() })`: the SDK's default retries, guarded. */
export function temporalConnectionInterceptors(): Interceptor[] {
  return [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), closedConnectionGuard];
}

/** `Connection.connect` with the guarded interceptors: how mlgate, its tests and benches open every Temporal client connection. */
export function connectTemporal(options: ConnectionOptions): Promise<Connection> {
  return Connection.connect({ interceptors: temporalConnectionInterceptors(), ...options });
}
