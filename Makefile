# The two commands the README promises. Both work on a fresh machine: they install Node 24
# (from the npm registry), the npm dependencies and, where none runs, a Docker engine.
.PHONY: setup test compare images

setup:
	bash scripts/setup-node.sh
	bash scripts/setup-host-tools.sh
	bash scripts/setup-docker.sh

images: setup
	npm run --silent tuneproof -- images build

test: setup images
	bash scripts/setup-test-tools.sh
	npm test

compare: setup images
	npm run --silent tuneproof -- compare --profiles default,tuned --preset smoke \
		--scenarios apiserver-load,image-pull-storm,etcd-disk-stall,node-unreachable
