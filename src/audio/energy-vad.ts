import { rms } from './resampler.js';

/**
 * A fallback voice-activity detector for when Silero cannot load: speech is energy well
 * above a noise floor that follows the quiet parts of the signal. Coarser than Silero (a
 * cough counts as speech), but it needs no model.
 */
export class EnergyVad {
  private floor = 0.002;

  probability(frame: Float32Array): number {
    const level = rms(frame);
    // Digital silence and room hum are never speech, whatever the floor.
    if (level < 0.003) return 0;
    // The floor falls quickly to quiet frames and rises slowly, so speech does not raise it.
    this.floor = Math.max(5e-4, level < this.floor ? this.floor * 0.9 + level * 0.1 : this.floor * 0.995 + level * 0.005);
    const ratioDb = 20 * Math.log10((level + 1e-9) / (this.floor + 1e-9));
    return 1 / (1 + Math.exp(-(ratioDb - 12) / 2.5));
  }

  reset(): void {
    this.floor = 0.002;
  }
}
