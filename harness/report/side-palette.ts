/** Colours of sides in charts and tables, in side order (baseline first): Tableau 10. */
export const sideColours = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#b279a2',
  '#e45756',
  '#72b7b2',
  '#eeca3b',
  '#9d755d',
];

export function sideColour(index: number): string {
  return sideColours[index % sideColours.length]!;
}

/** "A · default"; just the profile for runs made outside a plan, whose side is the profile. */
export function sideLabel(side: string, profile: string): string {
  return side === profile ? profile : `${side} · ${profile}`;
}
