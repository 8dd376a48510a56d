/**
 * A book cover: the book's own image when it has one the app may show (inline `data:` images; the
 * Content-Security-Policy keeps the app offline, so remote covers are not fetched), otherwise a
 * generated tile with the title's initials on a colour derived from the title, identical on every
 * launch and with no network.
 */

/** Up to two initials of a title, skipping articles ("The Hobbit" → "H"; "Charlotte's Web" → "CW"). */
export function titleInitials(title: string): string {
  const words = title
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  const significant = words.filter((word) => !/^(the|a|an)$/i.test(word));
  const chosen = (significant.length ? significant : words).slice(0, 2);
  return chosen.map((word) => word.charAt(0).toUpperCase()).join('') || '?';
}

/** A hue (0–359) from a title: a stable string hash. */
export function titleHue(title: string): number {
  let hash = 0;
  for (const char of title) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}

/** True when the app can show this cover URL under its policy. */
export function isDisplayableCover(url: string | null | undefined): url is string {
  return !!url && url.startsWith('data:image/');
}

/** A cover, `small` in lists and `large` on the book page. */
export function Cover({
  title,
  coverUrl,
  size = 'medium',
}: {
  title: string;
  coverUrl?: string | null;
  size?: 'small' | 'medium' | 'large';
}) {
  if (isDisplayableCover(coverUrl))
    return <img className={`cover cover-${size}`} src={coverUrl} alt="" loading="lazy" />;
  const hue = titleHue(title);
  return (
    <div
      className={`cover cover-${size} cover-placeholder`}
      // Dark enough for white initials at any hue (contrast well over 4.5:1).
      style={{ background: `linear-gradient(160deg, hsl(${hue} 55% 30%), hsl(${(hue + 40) % 360} 50% 22%))` }}
      aria-hidden="true"
      data-initials={titleInitials(title)}
    >
      <span>{titleInitials(title)}</span>
    </div>
  );
}
