// torch.contiguous_format / preserve_format / channels_last / channels_last_3d: the codes of
// c10::MemoryFormat, which is how operators take a `memory_format` argument.
export type MemoryFormat = number;

export const contiguousFormat: MemoryFormat = 0;
export const preserveFormat: MemoryFormat = 1;
export const channelsLast: MemoryFormat = 2;
export const channelsLast3d: MemoryFormat = 3;
