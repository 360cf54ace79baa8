// Upstream's human-readable durations for Age columns (duration.HumanDuration): 45s, 3m20s, 5h, 2d3h, 3y.
export function humanDuration(seconds: number): string {
  if (seconds < 0) seconds = 0;
  if (seconds < 120) return `${Math.floor(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) { const s = Math.floor(seconds % 60); return s === 0 ? `${minutes}m` : `${minutes}m${s}s`; }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) { const m = minutes % 60; return m === 0 ? `${hours}h` : `${hours}h${m}m`; }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) { const h = hours % 24; const d = Math.floor(hours / 24); return h === 0 ? `${d}d` : `${d}d${h}h`; }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) { const y = Math.floor(hours / 24 / 365); const d = Math.floor(hours / 24) % 365; return d === 0 ? `${y}y` : `${y}y${d}d`; }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function humanAge(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  return humanDuration((now - Date.parse(timestamp)) / 1000);
}
