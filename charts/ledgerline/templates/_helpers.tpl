{{/* Chart name and version label. */}}
{{- define "ledgerline.chart" -}}
{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Resource name of one service: <release>-<service>, or <service> when the release is already called ledgerline. */}}
{{- define "ledgerline.fullname" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- if eq $root.Release.Name "ledgerline" -}}{{ $name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" $root.Release.Name $name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "ledgerline.labels" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
helm.sh/chart: {{ include "ledgerline.chart" $root }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: ledgerline
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
{{ include "ledgerline.selectorLabels" (list $root $name) }}
{{- end -}}

{{- define "ledgerline.selectorLabels" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
app.kubernetes.io/name: {{ $name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- end -}}

{{/* Image reference of one service. */}}
{{- define "ledgerline.image" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}{{- $svc := index . 2 -}}
{{- printf "%s/%s:%s" $root.Values.image.registry (default $name $svc.image) (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}

{{/*
Environment of one service container: infrastructure, telemetry, common, own plain, own secret references.
Secrets are only ever secretKeyRef; values.schema.json has no place for a secret value.
*/}}
{{- define "ledgerline.env" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}{{- $svc := index . 2 -}}
{{- $v := $root.Values -}}
- name: {{ default "PORT" $svc.portEnv }}
  value: {{ $svc.port | quote }}
- name: {{ default "HOST" $svc.hostEnv }}
  value: "0.0.0.0"
{{- if not $svc.sandbox }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $v.database.existingSecret }}
      key: {{ $v.database.urlKey }}
- name: KAFKA_BROKERS
  value: {{ $v.kafka.brokers | quote }}
- name: KAFKA_TOPIC_PARTITIONS
  value: {{ default $v.kafka.topicPartitions $svc.topicPartitions | quote }}
{{- if $v.kafka.tls.enabled }}
- name: KAFKA_SSL
  value: "true"
{{- if $v.kafka.tls.caSecret }}
- name: KAFKA_SSL_CA_FILE
  value: /etc/ledgerline/kafka-tls/{{ $v.kafka.tls.caKey }}
{{- end }}
{{- if $v.kafka.tls.clientCertSecret }}
- name: KAFKA_SSL_CERT_FILE
  value: /etc/ledgerline/kafka-client-tls/{{ $v.kafka.tls.certKey }}
- name: KAFKA_SSL_KEY_FILE
  value: /etc/ledgerline/kafka-client-tls/{{ $v.kafka.tls.keyKey }}
{{- end }}
{{- end }}
{{- if $v.kafka.sasl.enabled }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $v.kafka.sasl.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.existingSecret }}
      key: {{ $v.kafka.sasl.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.existingSecret }}
      key: {{ $v.kafka.sasl.passwordKey }}
{{- end }}
{{- end }}
{{- if $v.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $v.otel.endpoint | quote }}
{{- end }}
{{- if $v.otel.resourceAttributes }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ $v.otel.resourceAttributes | quote }}
{{- end }}
{{- range $k, $val := $v.commonEnv }}
- name: {{ $k }}
  value: {{ $val | quote }}
{{- end }}
{{- range $k, $val := $svc.env }}
- name: {{ $k }}
  value: {{ $val | quote }}
{{- end }}
{{- range $k, $ref := $svc.secretEnv }}
- name: {{ $k }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secret }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{/* Volumes every pod mounts: a writable /tmp (the root filesystem is read-only) and the TLS CAs when set. */}}
{{- define "ledgerline.volumes" -}}
{{- $v := .Values -}}
- name: tmp
  emptyDir: { sizeLimit: 64Mi }
{{- if and $v.kafka.tls.enabled $v.kafka.tls.caSecret }}
- name: kafka-tls
  secret:
    secretName: {{ $v.kafka.tls.caSecret }}
{{- end }}
{{- if and $v.kafka.tls.enabled $v.kafka.tls.clientCertSecret }}
- name: kafka-client-tls
  secret:
    secretName: {{ $v.kafka.tls.clientCertSecret }}
    defaultMode: 0440
{{- end }}
{{- if $v.database.tls.caSecret }}
- name: postgres-tls
  secret:
    secretName: {{ $v.database.tls.caSecret }}
{{- end }}
{{- end -}}

{{- define "ledgerline.volumeMounts" -}}
{{- $v := .Values -}}
- name: tmp
  mountPath: /tmp
{{- if and $v.kafka.tls.enabled $v.kafka.tls.caSecret }}
- name: kafka-tls
  mountPath: /etc/ledgerline/kafka-tls
  readOnly: true
{{- end }}
{{- if and $v.kafka.tls.enabled $v.kafka.tls.clientCertSecret }}
- name: kafka-client-tls
  mountPath: /etc/ledgerline/kafka-client-tls
  readOnly: true
{{- end }}
{{- if $v.database.tls.caSecret }}
- name: postgres-tls
  mountPath: /etc/ledgerline/postgres-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* Refuses consumer replica counts the topic partitions cannot feed. */}}
{{- define "ledgerline.checkPartitions" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}{{- $svc := index . 2 -}}
{{- if $svc.consumer -}}
{{- $parts := int (default $root.Values.kafka.topicPartitions $svc.topicPartitions) -}}
{{- if gt (int $svc.replicas) $parts -}}
{{- fail (printf "services.%s.replicas=%d exceeds the %d partitions of the topics it consumes (kafka.topicPartitions or services.%s.topicPartitions): the extra consumers would sit idle. Lower replicas or add partitions first." $name (int $svc.replicas) $parts $name) -}}
{{- end -}}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.maxReplicas) $parts) -}}
{{- fail (printf "services.%s.autoscaling.maxReplicas=%d exceeds the %d partitions of the topics it consumes (kafka.topicPartitions or services.%s.topicPartitions): the extra consumers would sit idle. Lower maxReplicas or add partitions first." $name (int $svc.autoscaling.maxReplicas) $parts $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
