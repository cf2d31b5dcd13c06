import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import type { KernelSizes } from '../api/notebooks';
import { KernelSizePicker } from './kernel-size-picker';

const ecs: KernelSizes = {
  launcher: 'ecs',
  default: 'small',
  sizes: [
    { name: 'small', vcpus: 0.5, memory_gib: 1 },
    { name: 'medium', vcpus: 1, memory_gib: 4 },
  ],
};

const picker = () => screen.getByLabelText<HTMLSelectElement>('Kernel size');

describe('KernelSizePicker', () => {
  it('lists only the offered sizes, with the CPU and memory the server states', () => {
    render(<KernelSizePicker value="medium" offered={{ sizes: ecs, error: null }} onChoose={vi.fn()} />);
    const options = within(picker()).getAllByRole<HTMLOptionElement>('option');
    expect(options.map((option) => option.textContent)).toEqual(['small (0.5 vCPU, 1 GiB)', 'medium (1 vCPU, 4 GiB)']);
    expect(picker().value).toBe('medium');
    expect(screen.queryByText('ECS kernels only')).toBeNull();
  });

  it('chooses a size, and says a running kernel takes it only when it restarts', async () => {
    const onChoose = vi.fn().mockResolvedValue({ kernel_size: 'small', applies_at_next_start: true });
    render(<KernelSizePicker value="medium" offered={{ sizes: ecs, error: null }} onChoose={onChoose} />);
    fireEvent.change(picker(), { target: { value: 'small' } });
    expect(onChoose).toHaveBeenCalledWith('small');
    expect((await screen.findByRole('status')).textContent).toBe(
      'The running kernel keeps its size: small applies when it restarts (Restart Python).',
    );
  });

  it('says nothing more when the size applies at the next start anyway', async () => {
    const onChoose = vi.fn().mockResolvedValue({ kernel_size: 'small', applies_at_next_start: false });
    render(<KernelSizePicker value="medium" offered={{ sizes: ecs, error: null }} onChoose={onChoose} />);
    fireEvent.change(picker(), { target: { value: 'small' } });
    await waitFor(() => expect(picker().disabled).toBe(false));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says when kernels run in the server, where the size does not apply, rather than ask for a restart', async () => {
    const onChoose = vi.fn().mockResolvedValue({ kernel_size: 'medium', applies_at_next_start: true });
    render(<KernelSizePicker value="small" offered={{ sizes: { ...ecs, launcher: 'process' }, error: null }} onChoose={onChoose} />);
    expect(screen.getByText('ECS kernels only')).toBeTruthy();
    expect(picker().title).toContain('KERNEL_LAUNCHER=process');
    fireEvent.change(picker(), { target: { value: 'medium' } });
    expect((await screen.findByRole('status')).textContent).toBe(
      'Kept with the notebook. Kernels run inside the server here (KERNEL_LAUNCHER=process): the size applies once they run as ECS tasks.',
    );
  });

  it('shows the server’s refusal', async () => {
    const onChoose = vi.fn().mockRejectedValue(new ApiError(422, "kernel_size: the kernel size 'medium' is not offered"));
    render(<KernelSizePicker value="small" offered={{ sizes: ecs, error: null }} onChoose={onChoose} />);
    fireEvent.change(picker(), { target: { value: 'medium' } });
    expect((await screen.findByRole('alert')).textContent).toContain("'medium' is not offered");
  });

  it('shows the size alone, disabled, until the offered sizes are known, and why they are not', () => {
    const { rerender } = render(<KernelSizePicker value="large" offered={{ sizes: null, error: null }} onChoose={vi.fn()} />);
    expect(picker().disabled).toBe(true);
    expect(within(picker()).getAllByRole('option').map((option) => option.textContent)).toEqual(['large']);
    rerender(<KernelSizePicker value="large" offered={{ sizes: null, error: 'The server answered 500.' }} onChoose={vi.fn()} />);
    expect(screen.getByText('Sizes unavailable: The server answered 500.')).toBeTruthy();
  });
});
