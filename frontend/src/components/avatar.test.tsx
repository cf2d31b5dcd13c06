import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar, initials } from './avatar';

describe('initials', () => {
  it('takes the first and last names, one name’s first two letters, an e-mail’s local part', () => {
    expect(initials('Alice Example')).toBe('AE');
    expect(initials('Mary Ann van Dyke')).toBe('MD');
    expect(initials('service')).toBe('SE');
    expect(initials('bob.example@example.com')).toBe('BE');
    expect(initials('  ')).toBe('?');
  });
});

describe('Avatar', () => {
  it('shows the initials, with the name as its title and accessible name', () => {
    render(<Avatar name="Bob Example" id="bob@example.com" />);
    const avatar = screen.getByRole('img', { name: 'Bob Example' });
    expect(avatar.textContent).toBe('BE');
    expect(avatar.getAttribute('title')).toBe('Bob Example');
  });
});
