# grpc-rest-bench with the real speech engine: Node 20 on Debian bookworm, PocketSphinx from
# Debian, the native binding built by `npm ci` (scripts/prepare.js). One image for the servers
# and the driver; see docker-compose.yml.
FROM node:20-bookworm-slim

# PocketSphinx and its US English model; pkg-config, Python, make and g++ build the N-API binding.
RUN apt-get update \
  && apt-get install -y --no-install-recommends \
    libpocketsphinx-dev pocketsphinx-en-us pkg-config python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

# The npm the lockfile is made with (npm 11: dependencies' install scripts stay blocked).
RUN npm install -g npm@11

WORKDIR /app
COPY . .
RUN npm ci && npm cache clean --force

ENTRYPOINT ["node", "bin/grpc-rest-bench.js"]
CMD ["run"]
