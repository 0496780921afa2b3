package io.github.mellanoxlustre.lustre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LustreSourceTest {
    @ParameterizedTest
    @ValueSource(strings = {"b2_15", "2.15.5", "v2_15_5", "master", "refs/changes/45/12345/3",
        "0d77156572c2b77581f01d960c0e5738b369de6a", "feature/lnet-o2ib", "_private", "2.16.1-RC2"})
    void acceptsBranchesTagsCommits(String ref) {
        assertThat(LustreSource.Git.checkRef(ref)).isEqualTo(ref);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-b", "--upload-pack=x", "a..b", "b2_15.lock", "b2_15/", "b2_15.", "a//b", "HEAD~1",
        "b2_15^{}", "a b", ".hidden", "a/.b", "@", "x:y", "x\\y", "b2_15@{1}", "a/b.lock/c"})
    void refusesOptionsAndRevisionSyntax(String ref) {
        assertThatThrownBy(() -> LustreSource.Git.checkRef(ref))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lustreRef: '" + ref + "' is not a git ref");
    }

    @Test
    void refLengthIsBounded() {
        assertThat(LustreSource.Git.checkRef("a".repeat(200))).hasSize(200);
        assertThatThrownBy(() -> LustreSource.Git.checkRef("a".repeat(201))).hasMessageContaining("lustreRef");
    }

    @ParameterizedTest
    @ValueSource(strings = {LustreSource.DEFAULT_URL, "ssh://git@review.whamcloud.com:29418/fs/lustre-release",
        "git@github.com:lustre/lustre-release.git", "/srv/git/lustre-release.git", "file:///srv/git/lustre.git",
        "git://git.whamcloud.com/fs/lustre-release.git", "http://mirror.local/lustre.git", "../lustre"})
    void acceptsGitUrls(String url) {
        LustreSource.Git git = new LustreSource.Git(url, "b2_15", Optional.empty());
        assertThat(git.url()).isEqualTo(url);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-uhttps://x", "--upload-pack=touch /tmp/x", "ext::sh -c touch% /tmp/pwned",
        "ext::/tmp/evil", "fd::3", "ftp://mirror/lustre.git", "https://host/a b.git", "transport::https://h/x"})
    void refusesOtherUrlsNamingTheField(String url) {
        assertThatThrownBy(() -> new LustreSource.Git(url, "b2_15", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lustreRepository: '" + url + "'")
                .hasMessageContaining("expected https://host/path.git");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:s3cr3tTOKEN@github.com/org/lustre.git",
        "http://oauth2:s3cr3tTOKEN@mirror.local/lustre.git", "ssh://git:s3cr3tTOKEN@review.local:29418/lustre"})
    void refusesPasswordsInUrlsWithoutEchoingThem(String url) {
        assertThatThrownBy(() -> new LustreSource.Git(url, "b2_15", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lustreRepository: the URL contains a password")
                .hasMessageNotContaining("s3cr3tTOKEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://s3cr3tTOKEN@github.com/org/lustre.git", "http://s3cr3tTOKEN@mirror.local/lustre.git",
        "git://s3cr3tTOKEN@git.local/lustre.git", "file://s3cr3tTOKEN@localhost/srv/lustre.git"})
    void refusesATokenOnlyUrlWithoutEchoingIt(String url) {
        // a token as the user name is accepted by GitHub/GitLab: git would put it in its argv, our plan and logs
        assertThatThrownBy(() -> new LustreSource.Git(url, "b2_15", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lustreRepository: the URL contains a password or token")
                .hasMessageContaining("--lustre-key", "credential helper")
                .hasMessageNotContaining("s3cr3tTOKEN");
    }

    /** URLs with a password and a second problem: the second problem's message must not echo the password. */
    @ParameterizedTest
    @ValueSource(strings = {"https://user:s3cr3tZQ@/lustre.git", "https://user:s3cr3t ZQ@host/lustre.git",
        "https://user:s3cr3tZQ@host/lustre.git::", "foo://user:s3cr3tZQ@host/lustre.git",
        "ext::https://user:s3cr3tZQ@host/x", "-https://user:s3cr3tZQ@host/x",
        "https://user:s3cr3t/ZQ@host/lustre.git", "https://user:s3cr3tZQ@host/a b.git",
        "user:s3cr3tZQ@host:lustre.git", "transport::user:s3cr3tZQ@host:x",
        "ssh://git:s3cr3tZQ@review.local:29418/lustre::", "ssh://git:s3cr3t\0ZQ@review.local/x",
        "https://s3cr3tZQ@host/a b.git", "https://s3cr3tZQ@host/lustre.git::"})
    void urlsWithAPasswordAndASecondProblemDoNotEchoThePassword(String url) {
        assertThatThrownBy(() -> new LustreSource.Git(url, "b2_15", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lustreRepository: ")
                .hasMessageNotContaining("s3cr3t")
                .hasMessageNotContaining("ZQ");
    }

    @Test
    void anSshUserWithoutPasswordIsAccepted() {
        String url = "ssh://builder@review.local:29418/fs/lustre-release";
        assertThat(new LustreSource.Git(url, "b2_15", Optional.empty()).url()).isEqualTo(url);
    }

    @Test
    void localTree() {
        assertThat(new LustreSource.Local(Path.of("/src/lustre")).dir()).isEqualTo(Path.of("/src/lustre"));
        assertThatThrownBy(() -> new LustreSource.Local(null)).hasMessageContaining("dir");
        assertThatThrownBy(() -> new LustreSource.Git(LustreSource.DEFAULT_URL, "b2_15", null))
                .hasMessageContaining("ssh");
    }
}
