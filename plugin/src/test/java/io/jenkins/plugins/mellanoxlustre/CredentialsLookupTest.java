package io.jenkins.plugins.mellanoxlustre;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsParameterDefinition;
import com.cloudbees.plugins.credentials.CredentialsParameterValue;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.domains.DomainSpecification;
import com.cloudbees.plugins.credentials.domains.HostnameSpecification;
import hudson.model.Cause;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Result;
import hudson.model.StringParameterDefinition;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * How a build finds the SSH key credentials it names, on the controller: the id as configured (a
 * credentials parameter resolved by the credentials plugin with the starting user's permissions), the
 * host of the bundle as the domain requirement, and nothing about the credential's user in the log. The
 * bundle is an sftp:// URL on a closed port: each build stops after the lookup, which is all these
 * tests look at (no tool is run for them).
 */
@WithJenkins
class CredentialsLookupTest {
    private static final String BUNDLE = "sftp://tester@127.0.0.1:1/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";
    private static final String KEY_TEXT = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----";

    @TempDir
    Path tmp;

    private JenkinsRule j;

    @BeforeEach
    void jenkins(JenkinsRule rule) {
        j = rule;
    }

    private static BasicSSHUserPrivateKey key(CredentialsScope scope, String id, String username) {
        return new BasicSSHUserPrivateKey(scope, id, username,
                new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(KEY_TEXT), null, id);
    }

    private void addGlobal(Domain domain, Credentials c) throws Exception {
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addDomain(domain, List.of(c));
    }

    private WorkflowJob pipeline(String name, String credentialsId) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition("node {\n  mellanoxLustreBuild bundle: '" + BUNDLE
                + "', bundleCredentialsId: '" + credentialsId + "', checkDistro: false, cacheDir: '"
                + tmp.resolve("cache") + "'\n}", true));
        return p;
    }

    @Test
    void aStringParameterCannotNameACredential() throws Exception {
        addGlobal(Domain.global(), key(CredentialsScope.GLOBAL, "ofed-mirror", "ofed"));
        WorkflowJob p = pipeline("string-parameter", "${KEY}");
        p.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("KEY", "ofed-mirror")));

        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("bundleCredentialsId: no 'SSH Username with private key' credentials with id '${KEY}'", b);
        j.assertLogNotContains("using SSH key credentials", b);
    }

    @Test
    void aCredentialsParameterFindsTheOwnKeyOfTheUserWhoStartedTheBuild() throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        User alice = User.getById("alice", true);
        try (ACLContext ignored = ACL.as(alice)) {
            CredentialsProvider.lookupStores(alice).iterator().next()
                    .addCredentials(Domain.global(), key(CredentialsScope.USER, "alices-key", "alice"));
        }
        FreeStyleProject p = j.createFreeStyleProject("credentials-parameter");
        p.addProperty(new ParametersDefinitionProperty(new CredentialsParameterDefinition("KEY", null, null,
                SSHUserPrivateKey.class.getName(), true)));
        MellanoxLustreBuilder builder = new MellanoxLustreBuilder();
        OfedBundle ofed = new OfedBundle(BUNDLE);
        ofed.setCredentialsId("${KEY}");
        builder.setOfed(ofed);
        builder.setCheckDistro(false);
        builder.setCacheDir(tmp.resolve("cache").toString());
        p.getBuildersList().add(builder);

        FreeStyleBuild b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0, new Cause.UserIdCause("alice"),
                new ParametersAction(new CredentialsParameterValue("KEY", "alices-key", null, false))));
        // the builder's options are nested (as its form gives them): the message names the nested field
        j.assertLogContains("ofed.credentialsId: using SSH key credentials '${KEY}'", b);
    }

    @Test
    void theCredentialsUsernameIsNotPrinted() throws Exception {
        BasicSSHUserPrivateKey secretUser = key(CredentialsScope.GLOBAL, "ofed-mirror", "secret-login");
        secretUser.setUsernameSecret(true);
        addGlobal(Domain.global(), secretUser);

        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, pipeline("username", "ofed-mirror").scheduleBuild2(0));
        j.assertLogContains("bundleCredentialsId: using SSH key credentials 'ofed-mirror'", b);
        j.assertLogNotContains("secret-login", b);
    }

    @Test
    void aKeyForAnotherHostIsNotUsed() throws Exception {
        addGlobal(new Domain("mirror", "OFED mirror only",
                List.<DomainSpecification>of(new HostnameSpecification("mirror.example.com", null))),
                key(CredentialsScope.GLOBAL, "mirror-key", "ofed"));
        addGlobal(new Domain("loopback", "this machine",
                List.<DomainSpecification>of(new HostnameSpecification("127.0.0.1", null))),
                key(CredentialsScope.GLOBAL, "loopback-key", "ofed"));

        WorkflowRun other = j.assertBuildStatus(Result.FAILURE, pipeline("other-host", "mirror-key").scheduleBuild2(0));
        j.assertLogContains("bundleCredentialsId: no 'SSH Username with private key' credentials with id 'mirror-key' "
                + "are available to this build for host 127.0.0.1", other);
        WorkflowRun same = j.assertBuildStatus(Result.FAILURE, pipeline("same-host", "loopback-key").scheduleBuild2(0));
        j.assertLogContains("bundleCredentialsId: using SSH key credentials 'loopback-key'", same);
    }
}
