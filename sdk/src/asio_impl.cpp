// Asio, its SSL layer and Beast, compiled once for the whole process: every
// photosync library and plugin links this through photosync::sdk instead of
// instantiating them in each translation unit (BOOST_*_SEPARATE_COMPILATION).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
