# Sourced by the benchmark scripts: the JDK that runs Switchboard (SB_JAVA_HOME, else the java on the PATH)
# and its JVM options as deployed (SB_JVM unless set): objects that survive two young collections are promoted,
# so sockets' objects do not sit in the survivor spaces for 15; what glibc keeps after a free goes back to the
# system every 5 s; on JDK 25 or newer, 8-byte object headers as in the image (deploy/Dockerfile), about 12 %
# less heap per connection (docs/operations.md).
SB_JAVA=${SB_JAVA_HOME:+$SB_JAVA_HOME/bin/}java
SB_JCMD=${SB_JAVA_HOME:+$SB_JAVA_HOME/bin/}jcmd
SB_JAVA_VERSION=$("$SB_JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${SB_JAVA_VERSION%%.*}" -ge 25 ]; then
  SB_JVM=${SB_JVM:--XX:MaxTenuringThreshold=2 -XX:TrimNativeHeapInterval=5000 -XX:+UseCompactObjectHeaders}
else
  SB_JVM=${SB_JVM:--XX:MaxTenuringThreshold=2 -XX:TrimNativeHeapInterval=5000}
fi
