{
  'targets': [
    {
      'target_name': 'sphinx_addon',
      'sources': ['sphinx_addon.cc', 'sphinx_decoder.cc'],
      # node-addon-api is header-only; depending on its .gyp targets instead would make
      # node-gyp write stamp files into node_modules folders outside build/.
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS'],
      'cflags!': ['-fno-exceptions'],
      'cflags_cc!': ['-fno-exceptions'],
      'cflags_cc': ['-std=c++17', '-Wall', '-Wextra', '<!@(pkg-config --cflags pocketsphinx)'],
      'libraries': ['<!@(pkg-config --libs pocketsphinx)'],
    },
  ],
}
