// A Vite build plugin: beside every text asset the build wrote (js, css, html, svg, json) it writes
// NAME.gz (gzip, level 9) and NAME.br (brotli, quality 11), both with node's own zlib, so the server
// (api/explorer.py) sends the precompressed file when the browser's Accept-Encoding allows and never
// compresses at request time. A file whose compressed form would not be smaller is left alone.
//
//   plugins: [vue(), precompress()]            // in vite.config.ts
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin, ResolvedConfig } from 'vite'

const TEXT = /\.(js|mjs|css|html|svg|json|txt)$/

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

export function precompress(): Plugin {
  let config: ResolvedConfig
  return {
    name: 'wenze-precompress',
    apply: 'build',
    configResolved(resolved) {
      config = resolved
    },
    // After the bundle (and public/) is on disk: every text file under outDir, index.html included.
    closeBundle() {
      const outDir = config.build.outDir
      for (const path of files(outDir).filter((p) => TEXT.test(p))) {
        const raw = readFileSync(path)
        const gz = gzipSync(raw, { level: 9 })
        if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz)
        const br = brotliCompressSync(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        })
        if (br.length < raw.length) writeFileSync(`${path}.br`, br)
      }
    },
  }
}
