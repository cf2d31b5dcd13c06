import { THEME_CHOICES, type ThemeChoice, themeStore } from '../lib/theme';
import { useTheme } from '../lib/use-theme';

const TEXT: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** System / light / dark, in the page header. */
export function ThemeToggle() {
  const { choice } = useTheme();
  return (
    <div className="theme-toggle" role="radiogroup" aria-label="Theme">
      {THEME_CHOICES.map((option) => (
        <button
          key={option}
          type="button"
          role="radio"
          aria-checked={choice === option}
          onClick={() => themeStore().choose(option)}
          title={option === 'system' ? 'Follow the system setting' : `Always ${option}`}
        >
          {TEXT[option]}
        </button>
      ))}
    </div>
  );
}
