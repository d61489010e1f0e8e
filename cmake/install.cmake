# Install layout (GNUInstallDirs) and the Debian package (CPack): `cmake --install build --prefix P` and
# packaging/build-deb.sh. The installed binary finds its assets in ../share/attention-lab/assets (app/model_library.h).
include(GNUInstallDirs)
set(ATTN_APP_ID org.attentionlab.AttentionLab)  # reverse-DNS id: the desktop file, icon and metainfo are named by it

install(TARGETS attention-lab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/attention-lab/assets)
configure_file(${PROJECT_SOURCE_DIR}/packaging/attention-lab.desktop.in
               ${CMAKE_BINARY_DIR}/packaging/${ATTN_APP_ID}.desktop @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/packaging/attention-lab.metainfo.xml.in
               ${CMAKE_BINARY_DIR}/packaging/${ATTN_APP_ID}.metainfo.xml @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/packaging/${ATTN_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${CMAKE_BINARY_DIR}/packaging/${ATTN_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/attention-lab.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${ATTN_APP_ID}.svg)
# Translations: the .mo files the build compiles into build/locale/<lang>/LC_MESSAGES/ (none yet: OPTIONAL).
install(DIRECTORY ${CMAKE_BINARY_DIR}/locale/ DESTINATION ${CMAKE_INSTALL_LOCALEDIR} OPTIONAL)

# cpack -G DEB (from packaging/build-deb.sh, which configures a separate build with ATTN_NATIVE=OFF).
set(CPACK_PACKAGE_NAME attention-lab)
set(CPACK_PACKAGE_VENDOR "Attention Lab")
set(CPACK_PACKAGE_CONTACT "Attention Lab maintainers <maintainers@users.noreply.b-seed-1ecaa048.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "See how attention in a Transformer works, stage by stage, live")
string(CONCAT CPACK_PACKAGE_DESCRIPTION  # the .deb's long description: one paragraph, lines under 80 columns
       "A desktop app that teaches attention: every stage of it (the scores Q.K^T, the\n"
       "scaling by 1/sqrt(d_k), the mask, the softmax, the weighted sum of the values)\n"
       "for every head of a small Transformer, live, with toy models and a small\n"
       "language model trained for it.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # attention-lab_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends on the shared libraries, computed by dpkg-shlibdeps
# Not visible to dpkg-shlibdeps: the UI font (fontconfig finds it at run time), OpenBLAS (dlopened, core/blas.cpp:
# Eigen's path without it), WordNet (the default corpus of heads and train-lm), fonts for Chinese and other scripts.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "fonts-noto-cjk, fonts-noto-core, fonts-symbola, libopenblas0-pthread | libopenblas0, wordnet-base")
# A package must run on any x86-64: packaging/cpack-check.cmake refuses a native, sanitized or fuzzing build.
set(CPACK_ATTN_NATIVE ${ATTN_NATIVE})
set(CPACK_ATTN_SANITIZE ${ATTN_SANITIZE})
set(CPACK_ATTN_FUZZ ${ATTN_FUZZ})
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/packaging/cpack-check.cmake)
include(CPack)
