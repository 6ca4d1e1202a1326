/**
 * Samples (at 16 kHz) the capture worklet hands the speech worker at a time: 32 ms, one frame of
 * the voice detector. The end of speech is seen only when its block arrives, so a longer block
 * (128 ms before) delayed every final by up to its length; 31 messages a second cost nothing.
 */
export const CAPTURE_BLOCK_SAMPLES = 512;
