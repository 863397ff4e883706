import { metricsRegistry } from './metrics/metrics.registry';

let serviceName: string | undefined;

/**
 * Names the running service for metrics and logs: every series in {@link metricsRegistry} gets the
 * label `service="<name>"` and every log line the field `service`. Call it once at boot, before
 * serving traffic; `ObservabilityModule.forRoot` does it for Nest apps.
 */
export function setServiceName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') throw new Error('setServiceName: the service name must be a non-empty string.');
  serviceName = name.trim();
  metricsRegistry.setDefaultLabels({ service: serviceName });
}

/** The name given to {@link setServiceName}, or undefined before it ran. */
export function currentServiceName(): string | undefined {
  return serviceName;
}
