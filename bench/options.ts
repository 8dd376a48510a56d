/** The benchmarks' command-line options: `--name value` pairs after the benchmark's name. */

/** The value after `--name` in `args`, or undefined when `--name` is absent. */
export function textOption(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/** `--name <whole number ≥ minimum>` from `args`, or `fallback`; anything else throws, naming the option. */
export function option(args: string[], name: string, fallback: number, minimum = 1): number {
  const index = args.indexOf(`--${name}`);
  // `--name` last, with no value, is NaN and refused rather than taking the fallback.
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(
      minimum === 1
        ? `--${name} must be a positive whole number`
        : `--${name} must be a whole number ≥ ${minimum}`,
    );
  return value;
}
