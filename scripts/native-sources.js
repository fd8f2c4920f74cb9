#!/usr/bin/env node
// Prints native/*.cc for binding.gyp, so node-gyp and CMake build the same list without copies.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = path.join(__dirname, '..', 'native');
console.log(fs.readdirSync(dir).filter((f) => f.endsWith('.cc')).sort().map((f) => `native/${f}`).join(' '));
