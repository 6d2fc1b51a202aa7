import { BackendBadge } from './BackendBadge';
import { StorageBadge } from './StorageBadge';

export function Header() {
  return (
    <header className="app-header">
      <div className="brand">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <h1>AG News Lab</h1>
      </div>
      <div className="badges">
        <BackendBadge />
        <StorageBadge />
      </div>
    </header>
  );
}
