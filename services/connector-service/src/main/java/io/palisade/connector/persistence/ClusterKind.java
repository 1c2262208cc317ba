package io.palisade.connector.persistence;

/** The flavour of a protected cluster. */
public enum ClusterKind {
    AKS, EKS, GKE, OnPrem
}
