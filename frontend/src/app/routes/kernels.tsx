import { KernelsPanel } from '../../features/kernels/components/kernels-panel';

export function KernelsRoute() {
  return <KernelsPanel />;
}
