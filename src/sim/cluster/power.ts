/**
 * Server power: a linear model between idle and peak draw.
 *
 * P(u) = idle + (peak − idle) · u for CPU utilization u in [0, 1]. The linear model and the
 * large idle share are from Google's measurements: X. Fan, W.-D. Weber and L. A. Barroso,
 * "Power Provisioning for a Warehouse-sized Computer", ISCA 2007 (power grows almost linearly
 * with CPU utilization), and L. A. Barroso and U. Hölzle, "The Case for Energy-Proportional
 * Computing", IEEE Computer 40(12), 2007 (a typical server draws about half its peak power or
 * more when idle). That idle share is why consolidation saves power: an idle server still
 * burns most of its watts, a switched-off one burns none. The wattages below are round numbers
 * chosen for a 2007-era two-socket server, not measurements.
 */
import { requireArgument } from '../common/errors.ts';

/** Idle and peak power draw of a machine. */
export interface HostPowerModel {
  /** Watts at 0% CPU utilization (powered on, doing nothing). */
  readonly idleWatts: number;
  /** Watts at 100% CPU utilization. */
  readonly peakWatts: number;
}

/** A 2007-era virtualization host: idle at 60% of peak (chosen; see the module comment). */
export const DEFAULT_HOST_POWER: HostPowerModel = Object.freeze({ idleWatts: 240, peakWatts: 400 });

/** An older single-service server of the kind a consolidation project retires: idle at about 65% of peak (chosen). */
export const DEFAULT_LEGACY_SERVER_POWER: HostPowerModel = Object.freeze({ idleWatts: 130, peakWatts: 200 });

/** Checks that a power model is usable; throws SimError otherwise. */
export function validatePowerModel(model: HostPowerModel): HostPowerModel {
  requireArgument(typeof model === 'object' && model !== null, 'a power model is { idleWatts, peakWatts }');
  requireArgument(Number.isFinite(model.idleWatts) && model.idleWatts >= 0, `idleWatts must be a non-negative number, got ${String(model.idleWatts)}`);
  requireArgument(Number.isFinite(model.peakWatts) && model.peakWatts >= model.idleWatts, `peakWatts must be a number at least idleWatts, got ${String(model.peakWatts)}`);
  return Object.freeze({ idleWatts: model.idleWatts, peakWatts: model.peakWatts });
}

/** Power drawn at CPU utilization `utilization` (clamped to [0, 1]) by a powered-on machine. */
export function powerDraw(model: HostPowerModel, utilization: number): number {
  requireArgument(Number.isFinite(utilization), `utilization must be a number, got ${String(utilization)}`);
  const u = Math.min(1, Math.max(0, utilization));
  return model.idleWatts + (model.peakWatts - model.idleWatts) * u;
}
