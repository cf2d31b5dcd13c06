import type { ReactNode } from 'react';
import { TokenPrompt } from '../components/token-prompt';
import { AuthGate } from '../features/auth/components/auth-gate';
import { browserServices, type Services, ServicesContext } from '../lib/services';

export function AppProvider({ children, services = browserServices }: { children: ReactNode; services?: Services }) {
  return (
    <ServicesContext value={services}>
      <AuthGate>{children}</AuthGate>
      <TokenPrompt />
    </ServicesContext>
  );
}
