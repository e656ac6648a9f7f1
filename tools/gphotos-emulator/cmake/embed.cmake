# Turns IN (a text file) into OUT, a C++ source defining
# gpe::embedded_discovery_json() as a string_view over the bytes.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}" "#include <string_view>\nnamespace gpe {\nnamespace {\nconstexpr unsigned char kData[] = {${bytes} 0x00};\n}\nstd::string_view embedded_discovery_json() {\n    return {reinterpret_cast<const char*>(kData), sizeof(kData) - 1};\n}\n}  // namespace gpe\n")
