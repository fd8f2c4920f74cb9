// Caps that keep a malformed or hostile file from taking unbounded memory or time. Each is far
// above what a real checkpoint needs (resnet152's data.pkl is ~60 KB; GPT-sized ones a few MB).
export const LIMITS = {
  /** bytes of one pickle (data.pkl, or a legacy file's leading pickles) */
  maxPickleBytes: 512 * 1024 * 1024,
  /** MARK nesting of a pickle (containers inside containers) */
  maxMarkDepth: 10_000,
  /** entries in a pickle's memo */
  maxMemoEntries: 10_000_000,
  /** entries in a zip's central directory */
  maxZipEntries: 1_000_000,
  /** bytes of a zip's central directory */
  maxCentralDirectoryBytes: 256 * 1024 * 1024,
  /** bytes a compressed record may inflate to (torch writes records stored, never compressed) */
  maxInflatedBytes: 64 * 1024 * 1024,
  /** dimensions of one tensor */
  maxDims: 64,
  /** bytes of a safetensors JSON header (the format's own cap) */
  maxSafetensorsHeaderBytes: 100_000_000,
};
