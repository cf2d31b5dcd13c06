/** "Alice Example" -> "AE"; one name gives its first two letters; an e-mail counts up to its @. */
export function initials(name: string): string {
  const words = (name.split('@')[0] ?? '').split(/[\s._-]+/).filter(Boolean);
  if (!words.length) return '?';
  const letters = words.length > 1 ? [words[0], words.at(-1)].map((word) => [...(word ?? '')][0]) : [...(words[0] ?? '')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/** A stable hue per person, so the same person has the same colour in every list. */
function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}

interface Props {
  name: string;
  /** What tells people apart when names repeat (an e-mail); the colour follows it. */
  id?: string;
  /** Shown on hover and read by screen readers; the name when not given. */
  title?: string;
  className?: string;
}

/** A person as a round badge with their initials. */
export function Avatar({ name, id = name, title = name, className = '' }: Props) {
  return (
    <span
      className={`avatar ${className}`.trim()}
      role="img"
      aria-label={title}
      title={title}
      style={{ backgroundColor: `hsl(${hueOf(id)} 55% 42%)` }}
    >
      {initials(name)}
    </span>
  );
}
