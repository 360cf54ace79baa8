// The kubelet's eviction signals against upstream's default hard thresholds (memory.available<100Mi,
// nodefs.available<10%, nodefs.inodesFree<5%), which decide the MemoryPressure and DiskPressure conditions.
import { readFileSync, statfsSync } from 'node:fs';

export interface PressureSignals { memoryAvailableBytes: number; nodefsAvailableRatio: number; nodefsInodesFreeRatio: number }
export interface Pressure { memory: boolean; disk: boolean }

const MEMORY_AVAILABLE_MIN = 100 * 1024 * 1024;
const NODEFS_AVAILABLE_MIN = 0.10;
const NODEFS_INODES_FREE_MIN = 0.05;

/** The signals now: MemAvailable from /proc/meminfo, free space and inodes of the filesystem holding rootDir. */
export function readSignals(rootDir: string): PressureSignals {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  const fs = statfsSync(rootDir);
  return {
    memoryAvailableBytes: m ? Number(m[1]) * 1024 : Number.MAX_SAFE_INTEGER,
    nodefsAvailableRatio: fs.blocks > 0 ? fs.bavail / fs.blocks : 1,
    // Filesystems without inode accounting (btrfs, some overlays) report 0 files: no pressure from them.
    nodefsInodesFreeRatio: fs.files > 0 ? fs.ffree / fs.files : 1,
  };
}

export function pressureOf(s: PressureSignals): Pressure {
  return {
    memory: s.memoryAvailableBytes < MEMORY_AVAILABLE_MIN,
    disk: s.nodefsAvailableRatio < NODEFS_AVAILABLE_MIN || s.nodefsInodesFreeRatio < NODEFS_INODES_FREE_MIN,
  };
}
