/**
 * A book cover: the book's own image when it has one (an inline `data:` image, or an https URL from
 * the imported record, such as Open Library's: the request names the book, never a reader), and a
 * generated tile otherwise: the title's initials on a colour derived from the title, identical on
 * every launch, with no network. Offline, or when the image fails to load, the tile shows instead.
 */
import { useState } from 'react';

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

/** True when the app can show this cover URL under its policy (inline images and https). */
export function isDisplayableCover(url: string | null | undefined): url is string {
  return !!url && (url.startsWith('data:image/') || url.startsWith('https://'));
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
  const [failed, setFailed] = useState<string | null>(null);
  if (isDisplayableCover(coverUrl) && failed !== coverUrl)
    return (
      <img
        className={`cover cover-${size}`}
        src={coverUrl}
        alt=""
        loading="lazy"
        referrerPolicy="no-referrer"
        onError={() => setFailed(coverUrl)}
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
