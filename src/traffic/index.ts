export { runTraffic, type TrafficOptions, type TrafficStats } from './run-traffic';
