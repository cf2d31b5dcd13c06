import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KernelNotice, KernelStatus } from './kernel-status';

const shown = () => document.querySelector('.kernel-state')?.textContent;

describe('KernelStatus', () => {
  it('shows a start with the progress the server sends', () => {
    const { rerender } = render(<KernelStatus kernel={{ state: 'starting', reason: null, progress: null }} connected />);
    expect(shown()).toBe('Starting kernel…');
    rerender(<KernelStatus kernel={{ state: 'starting', reason: null, progress: 'ECS task PENDING (12 s)' }} connected />);
    expect(shown()).toBe('Starting kernel… ECS task PENDING (12 s)');
    rerender(<KernelStatus kernel={{ state: 'restarting', reason: 'requested', progress: 'connecting to the kernel (40 s)' }} connected />);
    expect(shown()).toBe('Restarting kernel… connecting to the kernel (40 s)');
    rerender(<KernelStatus kernel={{ state: 'ready', reason: null, progress: 'ECS task RUNNING (41 s)' }} connected />);
    expect(shown()).toBe('Python ready');
  });

  it('claims nothing while disconnected', () => {
    render(<KernelStatus kernel={{ state: 'starting', reason: null, progress: 'ECS task PENDING (12 s)' }} connected={false} />);
    expect(shown()).toBe('Python: unknown while disconnected');
  });
});

describe('KernelNotice', () => {
  it('tells why the kernel could not start, as ECS said it', () => {
    const reason =
      'the kernel could not start: ECS task stopped before running: CannotPullContainerError: pull access denied (exit code 1)';
    render(<KernelNotice kernel={{ state: 'stopped', reason, progress: null }} />);
    expect(screen.getByRole('status').textContent).toBe(
      'The kernel could not start: ECS task stopped before running: CannotPullContainerError: pull access denied (exit code 1).',
    );
  });

  it('says nothing without a reason, or during a restart', () => {
    const { container, rerender } = render(<KernelNotice kernel={{ state: 'ready', reason: null, progress: null }} />);
    expect(container.textContent).toBe('');
    rerender(<KernelNotice kernel={{ state: 'restarting', reason: 'requested', progress: null }} />);
    expect(container.textContent).toBe('');
  });
});
