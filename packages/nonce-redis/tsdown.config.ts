import { nodePackageConfig } from '../../scripts/tsdown-node-package.ts';

export default nodePackageConfig(['src/index.ts']);
