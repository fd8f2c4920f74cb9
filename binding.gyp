{
  "targets": [
    {
      "target_name": "torch_node",
      "sources": ["<!@(node scripts/native-sources.js)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/find-libtorch.js --gyp includeDirs)"
      ],
      "defines": [
        "NAPI_EXPERIMENTAL",
        "NAPI_VERSION=2147483647",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "<!@(node scripts/find-libtorch.js --gyp defines)"
      ],
      "libraries": ["<!@(node scripts/find-libtorch.js --gyp libraries)"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2"]
    }
  ]
}
