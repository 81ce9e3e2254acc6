/**
 * One run's value of a metric. `censored`: the milestone was not reached within the run's window,
 * so the true value is only known to be larger than `value` (the window's end): right-censored.
 */
export interface Observation {
  value: number;
  censored: boolean;
}

export const observed = (value: number): Observation => ({ value, censored: false });
