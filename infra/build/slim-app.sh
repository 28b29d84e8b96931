#!/bin/sh
# Run by infra/Dockerfile in /app after `npm run compile` and the prune to production
# dependencies: removes every file the services never read at run time, so the image carries the
# compiled JavaScript, its runtime assets and the production packages' code, licences included.
set -eu

# The workspaces: compiled dist/ only (no TypeScript sources, tests, type declarations, source
# maps or build info); the testing helpers are not shipped at all.
rm -rf packages/testing node_modules/@paperboy/testing
find packages services -name src -type d -prune -exec rm -rf {} +
find packages services -type d \( -name test -o -name tests \) -prune -exec rm -rf {} +
find packages services -type f -path '*/dist/*' \( -name '*.d.ts' -o -name '*.map' -o -name '*.tsbuildinfo' \) -delete
rm -f packages/*/tsconfig*.json services/*/tsconfig*.json packages/*/README.md services/*/README.md

# The repository's own files that only development, CI and documentation use.
rm -rf test bench docs infra/k8s infra/ci infra/build infra/grafana .env.example README.md \
  docker-compose*.yml tsconfig*.json vitest.config.ts biome.json

# node_modules: what a package ships besides its code. Type declarations, source maps, TypeScript
# sources (Node never strips types under node_modules), Markdown, and each package's own test,
# docs, example and benchmark folders (only at a package's top level, where they are never its
# code). LICENSE and NOTICE files stay.
find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
  -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.md' -o -name '*.markdown' \
  -o -name '*.tsbuildinfo' -o -name '.npmignore' -o -name '.eslintrc*' -o -name '.prettierrc*' \
  -o -name '.editorconfig' -o -name '.travis.yml' \) -delete
for package in node_modules/* node_modules/@*/* node_modules/*/node_modules/* node_modules/*/node_modules/@*/*; do
  [ -d "$package" ] || continue
  for folder in test tests __tests__ docs doc example examples benchmark benchmarks bench coverage .github; do
    rm -rf "${package:?}/$folder"
  done
done
find node_modules -depth -type d -empty -delete
