/**
 * A WebGPU adapter as a run records it (environment.adapter) and its one-line
 * name. Plain data and a pure function, so the core (tf/webgpu.ts), the
 * service's run DTOs and the renderer name an adapter the same way.
 */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** a CPU implementation of the GPU API (SwiftShader, llvmpipe) */
  software: boolean;
}

/** "NVIDIA H200 (nvidia hopper)", "SwiftShader driver 5.0.0 (software)". */
export function adapterLabel(a: GpuAdapterInfo): string {
  const name = a.description || a.device || a.vendor || 'unknown adapter';
  const detail = a.software ? 'software' : [a.vendor, a.architecture].filter(Boolean).join(' ');
  return detail ? `${name} (${detail})` : name;
}

/** The adapter a stored run recorded, if its environment holds one of this shape (stored JSON is not trusted). */
export function recordedAdapter(
  environment: Readonly<Record<string, unknown>> | null | undefined,
): GpuAdapterInfo | null {
  const a = environment?.adapter;
  if (typeof a !== 'object' || a === null) return null;
  const r = a as Record<string, unknown>;
  const text = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
  if (!['vendor', 'architecture', 'device', 'description'].some((k) => text(k))) return null;
  return {
    vendor: text('vendor'),
    architecture: text('architecture'),
    device: text('device'),
    description: text('description'),
    software: r.software === true,
  };
}
