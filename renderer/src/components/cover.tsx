/**
 * A book cover: an inline `data:` image from the record, or in the desktop app the cached cover of its
 * ISBN (`lumin-cover://isbn/…`, served from the data folder; fetched from the cover host only while
 * "covers from the internet" is on), and a generated tile otherwise: the title's initials on a colour
 * derived from the title, identical on every launch, with no network. Cover URLs named in imported
 * files are never loaded: the request would tell their host who looked at which list, and when.
 */
import { useState } from 'react';
import type { LuminDesktop } from '../../../shared/contract/desktop';

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

/** True when the app can show this cover URL under its policy (inline images only). */
export function isDisplayableCover(url: string | null | undefined): url is string {
  return !!url && url.startsWith('data:image/');
}

/** The image to show: an inline cover, else the cover cache's address of the ISBN (desktop only), else null. */
export function coverSource(
  coverUrl: string | null | undefined,
  isbn13: string | null | undefined,
  desktop: boolean,
): string | null {
  if (isDisplayableCover(coverUrl)) return coverUrl;
  return desktop && isbn13 && /^97[89]\d{10}$/.test(isbn13) ? `lumin-cover://isbn/${isbn13}` : null;
}

/** A cover, `small` in lists and `large` on the book page. */
export function Cover({
  title,
  coverUrl,
  isbn13,
  size = 'medium',
}: {
  title: string;
  coverUrl?: string | null;
  isbn13?: string | null;
  size?: 'small' | 'medium' | 'large';
}) {
  const [failed, setFailed] = useState<string | null>(null);
  const host = (window as unknown as { luminDesktop?: Pick<LuminDesktop, 'coverScheme'> }).luminDesktop;
  const source = coverSource(coverUrl, isbn13, host?.coverScheme === true);
  if (source && failed !== source)
    return (
      <img
        className={`cover cover-${size}`}
        src={source}
        alt=""
        loading="lazy"
        referrerPolicy="no-referrer"
        onError={() => setFailed(source)}
      />
    );
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
